// The `evgap` command line: global options, dispatch to one command, and how failures end (one line on stderr;
// exit 1 for errors, 2 for usage errors). Kept apart from the entry file so tests can run it in-process.
import { packageVersion } from '../api/packageInfo';
import { CatalogVersionError } from '../catalog/Catalog';
import { defaultDataDir, DATA_DIR_ENV } from '../paths';
import { UsageError, writeLine, type CliIO, type CommandSpec } from './commandLine';
import { datasetsCommand } from './commands/datasets';
import { demoCommand } from './commands/demo';
import { infoCommand } from './commands/info';
import { serveCommand } from './commands/serve';
import { segmentationMetricsCommand } from './commands/segmentationMetrics';
import { pretrainCommand } from './commands/pretrain';
import { pipelineCommand } from './commands/pipeline';
import { exportCommand } from './commands/export';
import { importCommand } from './commands/import';
import { embedCommand } from './commands/embed';
import { retrievalCommand } from './commands/retrieval';
import { syncCommand } from './commands/sync';
import { runsCommand } from './commands/runs';
import { runCommand } from './commands/run';

const commands: readonly CommandSpec[] = [demoCommand, serveCommand, datasetsCommand, infoCommand, runsCommand, runCommand, importCommand, exportCommand, syncCommand, pretrainCommand, pipelineCommand, embedCommand, retrievalCommand, segmentationMetricsCommand];

function topLevelHelp(): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    `evgap ${packageVersion()}: EVGAP Studio on the command line (ego-exo video group alignment pre-training)`,
    '',
    'Usage: evgap [--data DIR] <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Global options:',
    `  --data DIR     Data folder (default: $${DATA_DIR_ENV}, else ${defaultDataDir()})`,
    '  -h, --help     Show help; `evgap <command> --help` shows a command\'s options',
    '  -v, --version  Show the version',
  ].join('\n');
}

/** Moves leading global options (before the command name) behind it, where every command accepts them. */
function splitCommand(argv: string[]): { name: string | undefined; args: string[] } | 'help' | 'version' {
  const globals: string[] = [];
  let i = 0;
  for (; i < argv.length && argv[i]!.startsWith('-'); i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return 'help';
    if (arg === '-v' || arg === '--version') return 'version';
    if (arg === '--data') {
      const value = argv[i + 1];
      if (value === undefined) throw new UsageError("option '--data' needs a value");
      globals.push(arg, value);
      i++;
    } else if (arg.startsWith('--data=')) globals.push(arg);
    else throw new UsageError(`unknown global option ${JSON.stringify(arg)}`);
  }
  return { name: argv[i], args: [...argv.slice(i + 1), ...globals] };
}

/** Runs one command line; returns the exit code. */
export async function runCli(argv: string[], io: CliIO): Promise<number> {
  let commandName: string | undefined;
  try {
    const split = splitCommand(argv);
    if (split === 'help') {
      writeLine(io.stdout, topLevelHelp());
      return 0;
    }
    if (split === 'version') {
      writeLine(io.stdout, packageVersion());
      return 0;
    }
    if (split.name === undefined) {
      writeLine(io.stderr, topLevelHelp());
      return 2;
    }
    if (split.name === 'help') {
      const topic = commands.find((c) => c.name === split.args[0]);
      writeLine(io.stdout, topic ? topic.help : topLevelHelp());
      return 0;
    }
    const command = commands.find((c) => c.name === split.name);
    if (!command) throw new UsageError(`unknown command ${JSON.stringify(split.name)} (commands: ${commands.map((c) => c.name).join(', ')})`);
    commandName = command.name;
    return await command.run(split.args, io);
  } catch (error) {
    if (error instanceof UsageError) {
      const command = error.command ?? commandName;
      writeLine(io.stderr, `evgap: ${error.message}`);
      writeLine(io.stderr, `Run \`evgap ${command ? `${command} ` : ''}--help\` for usage.`);
      return 2;
    }
    if (error instanceof CatalogVersionError) {
      writeLine(io.stderr, `evgap: ${error.message}`);
      return 1;
    }
    writeLine(io.stderr, `evgap: ${error instanceof Error ? error.message : String(error)}`);
    if (io.env.EVGAP_DEBUG && error instanceof Error && error.stack) writeLine(io.stderr, error.stack);
    return 1;
  }
}
