// The application menu: the usual roles and shortcuts per platform, and the shell's own commands wired to
// File → Import dataset… / Export annotations… and Help → Generate demo dataset.
import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { applicationMenuTemplate, EXPORT_ACCELERATOR, IMPORT_ACCELERATOR, type MenuActions } from '../../../main/electron/appMenu';

function actions() {
  return {
    importDataset: vi.fn<() => void>(),
    exportAnnotations: vi.fn<() => void>(),
    generateDemo: vi.fn<() => void>(),
    showDataFolder: vi.fn<() => void>(),
  } satisfies MenuActions;
}

const items = (menu: MenuItemConstructorOptions | undefined): MenuItemConstructorOptions[] =>
  Array.isArray(menu?.submenu) ? (menu.submenu as MenuItemConstructorOptions[]) : [];
const roles = (menu: MenuItemConstructorOptions | undefined) => items(menu).map((item) => item.role).filter(Boolean);
const byLabel = (template: MenuItemConstructorOptions[], label: string) => template.find((menu) => menu.label?.replace('&', '') === label);
const click = (item: MenuItemConstructorOptions | undefined) => (item?.click as unknown as () => void)();

describe('applicationMenuTemplate', () => {
  const linux = { platform: 'linux' as const, appName: 'EVGAP Studio', developerTools: false };
  const mac = { platform: 'darwin' as const, appName: 'EVGAP Studio', developerTools: false };

  it('has File, Edit, View, Window and Help on Linux and Windows, with quit under File', () => {
    const template = applicationMenuTemplate(actions(), linux);
    expect(template.map((menu) => menu.label?.replace('&', ''))).toEqual(['File', 'Edit', 'View', 'Window', 'Help']);
    expect(roles(byLabel(template, 'File'))).toContain('quit');
    expect(byLabel(template, 'Window')?.role).toBe('windowMenu');
  });

  it('puts the app menu first on macOS, with quit and hide there', () => {
    const template = applicationMenuTemplate(actions(), mac);
    expect(template[0]?.label).toBe('EVGAP Studio');
    expect(roles(template[0])).toEqual(expect.arrayContaining(['about', 'hide', 'hideOthers', 'quit']));
    expect(roles(byLabel(template, 'File'))).toEqual(['close']);
  });

  it('gives Edit the clipboard and undo roles, whose shortcuts Electron supplies', () => {
    const template = applicationMenuTemplate(actions(), linux);
    expect(roles(byLabel(template, 'Edit'))).toEqual(['undo', 'redo', 'cut', 'copy', 'paste', 'delete', 'selectAll']);
  });

  it('offers developer tools only in development builds', () => {
    expect(roles(byLabel(applicationMenuTemplate(actions(), linux), 'View'))).not.toContain('toggleDevTools');
    expect(roles(byLabel(applicationMenuTemplate(actions(), { ...linux, developerTools: true }), 'View'))).toContain('toggleDevTools');
  });

  it('runs the import, export and demo commands from their items, with shortcuts for import and export', () => {
    const handlers = actions();
    const template = applicationMenuTemplate(handlers, linux);
    const file = items(byLabel(template, 'File'));
    const importItem = file.find((item) => item.label === 'Import dataset…');
    const exportItem = file.find((item) => item.label === 'Export annotations…');
    expect(importItem?.accelerator).toBe(IMPORT_ACCELERATOR);
    expect(exportItem?.accelerator).toBe(EXPORT_ACCELERATOR);
    click(importItem);
    click(exportItem);
    click(items(byLabel(template, 'Help')).find((item) => item.label === 'Generate demo dataset'));
    click(file.find((item) => item.label === 'Show data folder'));
    expect(handlers.importDataset).toHaveBeenCalledOnce();
    expect(handlers.exportAnnotations).toHaveBeenCalledOnce();
    expect(handlers.generateDemo).toHaveBeenCalledOnce();
    expect(handlers.showDataFolder).toHaveBeenCalledOnce();
  });
});
