/** The counter's connection, in LOCAL settings (`sync.` keys never travel, see LOCAL_SETTING_PREFIXES). */
export const SYNC_SETTINGS = {
  serverUrl: 'sync.serverUrl',
  credential: 'sync.credential',
  deviceId: 'sync.deviceId',
  deviceName: 'sync.deviceName',
  connectedAt: 'sync.connectedAt',
  connectedBy: 'sync.connectedBy',
} as const;

/** `deviceId.secret`, as `POST /devices` hands it out. */
export const CREDENTIAL = /^[A-Za-z0-9-]{1,64}\.[A-Za-z0-9_-]{8,200}$/;
