// Loaded with `--import` into a process forked by bench/startup-probe.ts: gives it the `process.parentPort` of an
// Electron utility process (messages wrapped in `{ data }`), so the core host built for Electron runs unchanged.
process.parentPort = {
  on: (event, listener) => process.on(event, (data) => listener({ data })),
  postMessage: (message) => process.send(message),
};
// Ended by its parent once the core has closed: exiting normally writes the CPU profile when one is asked for.
process.on('SIGTERM', () => process.exit(0));
