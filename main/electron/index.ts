// The Electron shell, the only code that imports 'electron' (with the files it wires: mainWindow.ts,
// desktopCommands.ts): one instance (a second launch focuses the first), one window, the catalog's API over IPC
// (each call's sender checked) with training in worker threads, catalog and run events forwarded to the windows,
// track videos over evgap-media://, runs' reports opened from their folder in the system's default app, the
// application menu (import, export, demo generation), and windows that cannot open new windows, navigate away,
// or get permissions. The data folder (dataLocation.ts) is also Electron's userData.
import { app, BrowserWindow, dialog, ipcMain, Menu, protocol, session, shell } from 'electron';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { apiMethods, type ApiEvent, type ApiEvents } from '../../contract/api';
import { answer, type Envelope } from '../../contract/rpc';
import { createApi } from '../api/createApi';
import { Catalog } from '../catalog/Catalog';
import { APP_NAME, catalogFile } from '../paths';
import { reportFileOfUrl } from '../runs/reportFiles';
import { createRunService } from '../runs/RunService';
import { applicationMenuTemplate } from './appMenu';
import { electronDataPaths } from './dataLocation';
import { createDesktopCommands } from './desktopCommands';
import { createMainWindow } from './mainWindow';
import { MEDIA_SCHEME, mediaResponse } from './mediaProtocol';
import { isTrustedSender, mayGrantPermission, mayNavigate, type AppRenderer } from './securityPolicy';

app.enableSandbox();
const paths = electronDataPaths(process.argv);
app.setName(APP_NAME);
app.setPath('userData', paths.userData);
app.setPath('sessionData', paths.sessionData);
// The single-instance lock lives in userData, so the folder must exist before the lock is requested below.
mkdirSync(paths.userData, { recursive: true });

protocol.registerSchemesAsPrivileged([
  { scheme: MEDIA_SCHEME, privileges: { standard: true, secure: true, stream: true, supportFetchAPI: true } },
]);

// This module is the entry of out/main/index.js, so its folder's parent is out/.
const outDir = join(import.meta.dirname, '..');
const renderer: AppRenderer = {
  rendererDir: join(outDir, 'renderer'),
  devServerUrl: app.isPackaged ? undefined : process.env.ELECTRON_RENDERER_URL,
};

function refused(frameUrl: string | undefined): Envelope {
  const from = frameUrl ? JSON.stringify(frameUrl.slice(0, 200)) : 'a frame that is gone';
  return { ok: false, error: { name: 'RemoteError', message: `refused an API call from ${from}: only EVGAP Studio's own page may call it` } };
}

/** A link to a run's report (getReport's htmlPath) opens its file in the system's default app. */
function openReport(url: string, dataDir: string): void {
  const file = reportFileOfUrl(dataDir, url);
  if (file !== null) void shell.openPath(file);
}

function lockDownContents(dataDir: string): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(({ url }) => {
      openReport(url, dataDir);
      return { action: 'deny' };
    });
    contents.on('will-navigate', (event, url) => {
      if (mayNavigate(url, renderer)) return;
      event.preventDefault();
      openReport(url, dataDir);
    });
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame && !mayNavigate(event.url, renderer)) event.preventDefault();
    });
    contents.on('will-redirect', (event, url) => {
      if (!mayNavigate(url, renderer)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(mayGrantPermission(permission, details.requestingUrl, renderer)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    mayGrantPermission(permission, requestingOrigin, renderer),
  );
  session.defaultSession.setDevicePermissionHandler(() => false);
}

function start(): void {
  const { dataDir } = paths;
  mkdirSync(dataDir, { recursive: true });
  const catalog = Catalog.open(catalogFile(dataDir));
  app.on('will-quit', () => catalog.close());

  const emit = <E extends ApiEvent>(name: E, payload: ApiEvents[E]) => {
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(`event:${name}`, payload);
  };
  const runs = createRunService({ catalog, dataDir, emit });
  // Training workers stop before the catalog closes; their runs resume later from their latest checkpoint.
  let workersStopped = false;
  app.on('before-quit', (event) => {
    if (workersStopped) return;
    event.preventDefault();
    void runs.shutdown().finally(() => {
      workersStopped = true;
      app.quit();
    });
  });
  const api = createApi({ catalog, dataDir, transport: 'electron', emit, runs });
  for (const method of apiMethods) {
    ipcMain.handle(`api:${method}`, (event, args: unknown) => {
      const frameUrl = event.senderFrame?.url;
      if (!isTrustedSender(frameUrl, renderer)) return refused(frameUrl);
      return answer(api, method, args);
    });
  }
  protocol.handle(MEDIA_SCHEME, (request) => mediaResponse(request, catalog));
  lockDownContents(dataDir);
  const commands = createDesktopCommands({ catalog, dataDir, emit });
  const menuOptions = { platform: process.platform, appName: APP_NAME, developerTools: !app.isPackaged };
  Menu.setApplicationMenu(Menu.buildFromTemplate(applicationMenuTemplate(commands, menuOptions)));
  createMainWindow(outDir, renderer, dataDir);
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  app.on('second-instance', () => {
    const [window] = BrowserWindow.getAllWindows();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app
    .whenReady()
    .then(start)
    .catch((error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      dialog.showErrorBox('EVGAP Studio could not start', message);
      app.exit(1);
    });
}
