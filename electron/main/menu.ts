import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  print(): void;
  about(): void;
  /** Copies the diagnostic report to the clipboard, for the support. */
  diagnostics(): void;
}

export interface MenuOptions {
  /** Adds reload and developer tools, for unpackaged runs only. */
  devTools: boolean;
}

/**
 * The application menu, in French. Roles keep the native behaviour and shortcuts; their labels are given
 * because Electron's role labels are English.
 */
export function buildMenuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const view: MenuItemConstructorOptions[] = [
    { role: 'zoomIn', label: 'Zoom avant' },
    { role: 'zoomOut', label: 'Zoom arrière' },
    { role: 'resetZoom', label: 'Taille réelle' },
    { type: 'separator' },
    { role: 'togglefullscreen', label: 'Plein écran' },
  ];
  if (options.devTools) {
    view.push(
      { type: 'separator' },
      { role: 'reload', label: 'Recharger' },
      { role: 'toggleDevTools', label: 'Outils de développement' },
    );
  }
  return [
    {
      label: '&Fichier',
      submenu: [
        { label: 'Imprimer…', accelerator: 'CmdOrCtrl+P', click: () => actions.print() },
        { type: 'separator' },
        { role: 'quit', label: 'Quitter' },
      ],
    },
    {
      label: 'É&dition',
      submenu: [
        { role: 'undo', label: 'Annuler' },
        { role: 'redo', label: 'Rétablir' },
        { type: 'separator' },
        { role: 'cut', label: 'Couper' },
        { role: 'copy', label: 'Copier' },
        { role: 'paste', label: 'Coller' },
        { role: 'selectAll', label: 'Tout sélectionner' },
      ],
    },
    { label: '&Affichage', submenu: view },
    {
      label: 'A&ide',
      submenu: [
        { label: 'Copier le rapport de diagnostic', click: () => actions.diagnostics() },
        { type: 'separator' },
        { label: 'À propos de Guichet Famille', click: () => actions.about() },
      ],
    },
  ];
}
