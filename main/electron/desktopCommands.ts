// The File and Help menus' commands: native dialogs around main-side import, export and demo generation. Each runs
// one at a time, shows its progress in the window's title and taskbar progress bar, tells the renderer that the
// catalog changed, and ends with a message box (and a notification when the window is in the background). An
// import shows a Cancel dialog while it runs: Cancel stops it as Ctrl-C stops `evgap import`, writing nothing.
import { BrowserWindow, dialog, Notification, shell, type MessageBoxOptions } from 'electron';
import type { ApiEvent, ApiEvents } from '../../contract/api';
import type { Catalog } from '../catalog/Catalog';
import { exportCoarseLabels, exportMsTcn } from '../export/annotationExport';
import { ImportCancelledError } from '../importers/common/errors';
import { TranscodeCancelledError } from '../importers/video/transcodeProxy';
import { APP_NAME } from '../paths';
import type { MenuActions } from './appMenu';
import { importDatasetFolder, importFormats } from './datasetImport';
import { DEMO_DATASET_NAME, ensureDemoDataset } from './demoDataset';
import { progressFraction, progressTitle, type TaskProgress } from './taskProgress';

export interface DesktopContext {
  catalog: Catalog;
  dataDir: string;
  emit<E extends ApiEvent>(name: E, payload: ApiEvents[E]): void;
}

/** Export dialogs list at most this many datasets as buttons; `evgap export annotations` reaches the others. */
const MAX_DATASET_BUTTONS = 8;

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export function createDesktopCommands(context: DesktopContext): MenuActions {
  let running: string | null = null;

  const mainWindow = (): BrowserWindow | undefined => BrowserWindow.getFocusedWindow() ?? BrowserWindow.getAllWindows()[0];

  async function tell(window: BrowserWindow | undefined, options: MessageBoxOptions): Promise<number> {
    const result = window ? await dialog.showMessageBox(window, options) : await dialog.showMessageBox(options);
    return result.response;
  }

  function notify(window: BrowserWindow | undefined, body: string): void {
    if (window?.isFocused() || !Notification.isSupported()) return;
    new Notification({ title: APP_NAME, body }).show();
  }

  /** A message box with one Cancel button while a task runs; `cancel` is called when the user presses it. */
  function cancelDialog(window: BrowserWindow | undefined, task: string, cancel: () => void): { close(): void } {
    const closing = new AbortController();
    void tell(window, {
      type: 'info',
      message: `${task}…`,
      detail: 'Progress shows in the title bar. Cancel stops it; nothing is written to the catalog.',
      buttons: ['Cancel'],
      cancelId: 0,
      signal: closing.signal,
    }).then(() => {
      if (!closing.signal.aborted) cancel();
    });
    return { close: () => closing.abort() };
  }

  /**
   * Runs `work` as the one task in progress, with its progress in the window's title and progress bar; with
   * `cancellable`, also a Cancel dialog whose button aborts the signal `work` gets.
   */
  async function runTask<T>(
    task: string,
    work: (report: (progress: TaskProgress) => void, signal: AbortSignal) => Promise<T>,
    options: { cancellable?: boolean } = {},
  ): Promise<T | undefined> {
    const window = mainWindow();
    if (running !== null) {
      await tell(window, { type: 'info', message: `${running} is still running`, detail: 'Wait for it to finish, then try again.' });
      return undefined;
    }
    running = task;
    const report = (progress: TaskProgress | null) => {
      if (!window || window.isDestroyed()) return;
      window.setTitle(progressTitle(APP_NAME, task, progress));
      window.setProgressBar(progress === null ? 2 : progressFraction(progress));
    };
    report(null);
    const controller = new AbortController();
    const dialog = options.cancellable ? cancelDialog(window, task, () => controller.abort()) : undefined;
    try {
      return await work(report, controller.signal);
    } catch (error) {
      dialog?.close();
      if (error instanceof ImportCancelledError || error instanceof TranscodeCancelledError) {
        await tell(window, { type: 'info', message: `${task}: cancelled`, detail: `${messageOf(error)}; nothing was imported.` });
      } else {
        await tell(window, { type: 'error', message: `${task} failed`, detail: messageOf(error) });
      }
      return undefined;
    } finally {
      dialog?.close();
      running = null;
      if (window && !window.isDestroyed()) {
        window.setTitle(APP_NAME);
        window.setProgressBar(-1);
      }
    }
  }

  async function chooseFolder(window: BrowserWindow | undefined, title: string, buttonLabel: string, create: boolean): Promise<string | undefined> {
    const properties: Array<'openDirectory' | 'createDirectory'> = create ? ['openDirectory', 'createDirectory'] : ['openDirectory'];
    const options = { title, buttonLabel, properties };
    const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
    return result.canceled ? undefined : result.filePaths[0];
  }

  async function importDataset(): Promise<void> {
    const window = mainWindow();
    const labels = importFormats.map((format) => format.label);
    const choice = await tell(window, {
      type: 'question',
      message: 'Import a dataset',
      detail: 'Which format is the dataset folder in? (A folder with an EVGAP manifest.json, or a dataset as it ships.)',
      buttons: [...labels, 'Cancel'],
      cancelId: labels.length,
      defaultId: 0,
    });
    const format = importFormats[choice];
    if (!format) return;
    const folder = await chooseFolder(window, `Import ${format.label}`, 'Import', false);
    if (!folder) return;
    const outcome = await runTask(
      `Importing ${format.label}`,
      (report, signal) => importDatasetFolder(context.catalog, format.id, folder, { onProgress: report, signal }),
      { cancellable: true },
    );
    if (!outcome) return;
    context.emit('catalog.changed', { datasetId: outcome.datasetId, sceneId: null, what: 'dataset imported' });
    const { dataset } = context.catalog.getDataset(outcome.datasetId);
    const summary = `${dataset.sceneCount} scenes, ${dataset.viewCount} views, ${dataset.trackCount} tracks, ${dataset.segmentCount} segments`;
    const proxies = outcome.transcodeOffers > 0 ? `\n${outcome.transcodeOffers} videos need a playable proxy: run \`evgap import ${format.id} "${folder}" --transcode\`.` : '';
    notify(window, `Imported "${dataset.name}"`);
    await tell(window, { type: 'info', message: `Imported "${dataset.name}"`, detail: `${summary}\nValidation: ${outcome.validation}${proxies}` });
  }

  async function exportAnnotations(): Promise<void> {
    const window = mainWindow();
    const datasets = context.catalog.listDatasets().filter((dataset) => dataset.segmentCount > 0);
    if (datasets.length === 0) {
      await tell(window, { type: 'info', message: 'No annotations to export', detail: 'No dataset in the catalog has labelled segments yet.' });
      return;
    }
    const shown = datasets.slice(0, MAX_DATASET_BUTTONS);
    const more = datasets.length > shown.length ? `\n${datasets.length - shown.length} more: use \`evgap export annotations DATASET\`.` : '';
    const which = await tell(window, {
      type: 'question',
      message: 'Export annotations',
      detail: `Whose segments?${more}`,
      buttons: [...shown.map((dataset) => dataset.name), 'Cancel'],
      cancelId: shown.length,
      defaultId: 0,
    });
    const dataset = shown[which];
    if (!dataset) return;
    const formats = ['Assembly101 coarse labels', 'MS-TCN (per-frame)'] as const;
    const format = await tell(window, {
      type: 'question',
      message: `Export "${dataset.name}" as`,
      detail: 'Coarse: one label file per video (start_frame end_frame action). MS-TCN: groundTruth/<video>.txt and mapping.txt.',
      buttons: [...formats, 'Cancel'],
      cancelId: formats.length,
      defaultId: 0,
    });
    if (format >= formats.length) return;
    const folder = await chooseFolder(window, `Export "${dataset.name}" annotations`, 'Export here', true);
    if (!folder) return;
    const files = await runTask(`Exporting "${dataset.name}"`, async () =>
      format === 0 ? exportCoarseLabels(context.catalog, dataset.id, folder) : exportMsTcn(context.catalog, dataset.id, folder),
    );
    if (!files) return;
    notify(window, `Exported ${files.length} files`);
    const open = await tell(window, { type: 'info', message: `Wrote ${files.length} files`, detail: folder, buttons: ['OK', 'Show folder'], defaultId: 0 });
    if (open === 1) void shell.openPath(folder);
  }

  async function generateDemo(): Promise<void> {
    const window = mainWindow();
    const existing = context.catalog.findDatasetByName(DEMO_DATASET_NAME);
    if (!existing) {
      const go = await tell(window, {
        type: 'question',
        message: 'Generate the demo dataset?',
        detail:
          'A small synthetic ego-exo dataset (8 scenes, 12 views each, features, videos, labelled segments and sync offsets) ' +
          `is written to ${context.dataDir} and added to the catalog. It takes a few minutes.`,
        buttons: ['Generate', 'Cancel'],
        cancelId: 1,
        defaultId: 0,
      });
      if (go !== 0) return;
    }
    const outcome = await runTask('Generating the demo dataset', (report) => ensureDemoDataset(context.catalog, context.dataDir, {}, report));
    if (!outcome) return;
    context.emit('catalog.changed', { datasetId: outcome.datasetId, sceneId: null, what: 'demo dataset ready' });
    const how = { catalog: 'is already in the catalog', files: 'was registered from its files', generated: 'was generated and added to the catalog' }[outcome.source];
    notify(window, 'The demo dataset is ready');
    await tell(window, {
      type: 'info',
      message: `The demo dataset "${DEMO_DATASET_NAME}" ${how}`,
      detail: `Files: ${outcome.folder}\nOpen it in the library; pre-train on it from the training screen.`,
    });
  }

  const start = (command: () => Promise<void>) => () => {
    command().catch((error: unknown) => dialog.showErrorBox(APP_NAME, messageOf(error)));
  };
  return {
    importDataset: start(importDataset),
    exportAnnotations: start(exportAnnotations),
    generateDemo: start(generateDemo),
    showDataFolder: () => void shell.openPath(context.dataDir),
  };
}
