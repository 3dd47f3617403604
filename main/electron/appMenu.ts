// The application menu as a template (Menu.buildFromTemplate takes it): the platform's usual roles and shortcuts
// (the app menu on macOS; Edit, View, Window), File → Import dataset… / Export annotations…, and Help → Generate
// demo dataset. A plain function of the platform and the actions, so the template is tested without Electron.
import type { MenuItemConstructorOptions } from 'electron';

export interface MenuActions {
  importDataset(): void;
  exportAnnotations(): void;
  generateDemo(): void;
  /** Shows the data folder in the system's file manager. */
  showDataFolder(): void;
}

export interface MenuOptions {
  platform: NodeJS.Platform;
  appName: string;
  /** Developer tools and forced reload only in development builds. */
  developerTools: boolean;
}

export const IMPORT_ACCELERATOR = 'CmdOrCtrl+O';
export const EXPORT_ACCELERATOR = 'CmdOrCtrl+E';

export function applicationMenuTemplate(actions: MenuActions, options: MenuOptions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const appMenu: MenuItemConstructorOptions = {
    label: options.appName,
    submenu: [
      { role: 'about' },
      { type: 'separator' },
      { role: 'services' },
      { type: 'separator' },
      { role: 'hide' },
      { role: 'hideOthers' },
      { role: 'unhide' },
      { type: 'separator' },
      { role: 'quit' },
    ],
  };
  const file: MenuItemConstructorOptions = {
    label: '&File',
    submenu: [
      { label: 'Import dataset…', accelerator: IMPORT_ACCELERATOR, click: () => actions.importDataset() },
      { label: 'Export annotations…', accelerator: EXPORT_ACCELERATOR, click: () => actions.exportAnnotations() },
      { type: 'separator' },
      { label: 'Show data folder', click: () => actions.showDataFolder() },
      { type: 'separator' },
      mac ? { role: 'close' } : { role: 'quit' },
    ],
  };
  const edit: MenuItemConstructorOptions = {
    label: '&Edit',
    submenu: [
      { role: 'undo' },
      { role: 'redo' },
      { type: 'separator' },
      { role: 'cut' },
      { role: 'copy' },
      { role: 'paste' },
      { role: 'delete' },
      { type: 'separator' },
      { role: 'selectAll' },
    ],
  };
  const view: MenuItemConstructorOptions = {
    label: '&View',
    submenu: [
      { role: 'reload' },
      ...(options.developerTools ? ([{ role: 'forceReload' }, { role: 'toggleDevTools' }] as const) : []),
      { type: 'separator' },
      { role: 'resetZoom' },
      { role: 'zoomIn' },
      { role: 'zoomOut' },
      { type: 'separator' },
      { role: 'togglefullscreen' },
    ],
  };
  const window: MenuItemConstructorOptions = {
    label: '&Window',
    role: 'windowMenu',
  };
  const help: MenuItemConstructorOptions = {
    label: '&Help',
    role: 'help',
    submenu: [{ label: 'Generate demo dataset', click: () => actions.generateDemo() }, ...(mac ? [] : ([{ type: 'separator' }, { role: 'about' }] as const))],
  };
  return [...(mac ? [appMenu] : []), file, edit, view, window, help];
}
