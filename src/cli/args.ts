/**
 * Command-line arguments of `cdk8s-stateful` (no dependency). Internal: not part of the jsii API.
 */

/** Output formats of `check`. */
export type OutputFormat = 'text' | 'json' | 'sarif';
const FORMATS: OutputFormat[] = ['text', 'json', 'sarif'];
/** Output formats of `inventory`. */
export type InventoryFormat = 'text' | 'json' | 'markdown' | 'mermaid' | 'html';
const INVENTORY_FORMATS: InventoryFormat[] = ['text', 'json', 'markdown', 'mermaid', 'html'];

/** What the command line asks for. */
export interface CliArgs {
  readonly command: 'check' | 'help' | 'version' | 'rules' | 'inventory';
  readonly inputs: string[];
  readonly format: OutputFormat;
  readonly strict: boolean;
  readonly namespace?: string;
  /** Format of `inventory` (its --format). */
  readonly inventoryFormat?: InventoryFormat;
  /** `--baseline` files and directories: the previous output to compare with (SU rules). */
  readonly baselines?: string[];
}

/** A command line that cannot be understood (exit code 2). */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export const USAGE = `Usage: cdk8s-stateful check [options] <file|dir|->...

Check Kubernetes manifests (Helm output, kubectl exports, cdk8s dist/) with the cdk8s-stateful guards.
Files: .yaml, .yml, .json (multi-document YAML; 'kind: List' items are expanded). Directories are read
recursively (those extensions, sorted). '-' reads standard input. All inputs form one deployment.

Options:
  --format <text|json|sarif>  output format (default: text)
  --strict                    unacknowledged warnings fail too
  -n, --namespace <ns>        namespace of objects that set none (default: default)
  --baseline <file|dir>       the previous output (repeatable): also report updates the API server
                              refuses or that lose data (rules SU001-SU007)
  --rules                     list the rules and exit
  -h, --help                  show this help
  -v, --version               show the version

       cdk8s-stateful inventory [--format text|json|markdown|mermaid|html] [-n <ns>] <file|dir|->...
  every piece of state (config, secrets, data stores, file stores, singletons, backups) with each
  workload's chain: claim per replica -> class -> provisioner -> reclaim and retention policy ->
  backup and snapshot schedules, and the guard findings on each object (exit 0, or 2 on bad input).

Exit codes: 0 no unacknowledged error (nor warning with --strict), 1 findings fail, 2 usage or input error.
Acknowledge a finding with the annotation  stateful.cdk8s.io/acknowledge: "<rule id>: <reason>"
on the resource it names.`;

/** Parse `argv` (without `node` and the script). Throws UsageError. */
export function parseArgs(argv: readonly string[]): CliArgs {
  let command: CliArgs['command'] | undefined;
  const inputs: string[] = [];
  let format: OutputFormat = 'text';
  let strict = false;
  let namespace: string | undefined;
  let optionsEnded = false;
  let sawCheck = false;
  let sawInventory = false;
  let formatValue: string | undefined;
  const baselines: string[] = [];

  const valueOf = (name: string, inline: string | undefined, i: number): [string, number] => {
    if (inline !== undefined) return [inline, i];
    const next = argv[i + 1];
    if (next === undefined || (next.startsWith('-') && next !== '-')) throw new UsageError(`option ${name} needs a value.`);
    return [next, i + 1];
  };

  for (let i = 0; i < argv.length; i++) {
    const arg = String(argv[i]);
    if (optionsEnded || arg === '-' || !arg.startsWith('-')) {
      if (!sawCheck && inputs.length === 0 && !optionsEnded) {
        if (arg === 'check') { sawCheck = true; continue; }
        if (arg === 'inventory') { sawCheck = true; sawInventory = true; continue; }
        if (arg === 'help') { command ??= 'help'; continue; }
        if (arg === 'rules') { command ??= 'rules'; continue; }
        if (arg === 'version') { command ??= 'version'; continue; }
        throw new UsageError(`unknown command '${arg}' (expected 'check').`);
      }
      inputs.push(arg);
      continue;
    }
    if (arg === '--') { optionsEnded = true; continue; }
    const eq = arg.startsWith('--') ? arg.indexOf('=') : -1;
    const name = eq > 0 ? arg.slice(0, eq) : arg;
    const inline = eq > 0 ? arg.slice(eq + 1) : undefined;
    const noValue = (): void => {
      if (inline !== undefined) throw new UsageError(`option ${name} takes no value.`);
    };
    switch (name) {
      case '-h': case '--help': noValue(); command = 'help'; break;
      case '-v': case '--version': noValue(); command ??= 'version'; break;
      case '--rules': noValue(); command ??= 'rules'; break;
      case '--strict': noValue(); strict = true; break;
      case '--format': case '-f': {
        const [value, next] = valueOf(name, inline, i);
        i = next;
        if (!FORMATS.includes(value as OutputFormat) && !INVENTORY_FORMATS.includes(value as InventoryFormat)) {
          throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${value}'.`);
        }
        formatValue = value;
        if (FORMATS.includes(value as OutputFormat)) format = value as OutputFormat;
        break;
      }
      case '--baseline': {
        const [value, next] = valueOf(name, inline, i);
        i = next;
        if (value === '-' || value.trim() === '') throw new UsageError(`--baseline takes a file or directory (the previous output), got '${value}'.`);
        baselines.push(value);
        break;
      }
      case '--namespace': case '-n': {
        const [value, next] = valueOf(name, inline, i);
        i = next;
        if (!/^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/.test(value)) {
          throw new UsageError(`--namespace must be a Kubernetes namespace name (lowercase letters, digits, '-', at most 63), got '${value}'.`);
        }
        namespace = value;
        break;
      }
      default:
        throw new UsageError(`unknown option '${name}'.`);
    }
  }
  if (command) return { command, inputs, format, strict, namespace };
  if (!sawCheck) throw new UsageError(argv.length === 0 ? 'no command given.' : "missing the command 'check'.");
  if (inputs.length === 0) throw new UsageError("no input: give files, directories or '-' for standard input.");
  if (inputs.filter(x => x === '-').length > 1) throw new UsageError("'-' (standard input) can be given only once.");
  if (sawInventory) {
    const inventoryFormat = (formatValue ?? 'text') as InventoryFormat;
    if (!INVENTORY_FORMATS.includes(inventoryFormat)) throw new UsageError(`inventory --format must be one of ${INVENTORY_FORMATS.join(', ')}, got '${formatValue}'.`);
    if (baselines.length > 0) throw new UsageError('--baseline applies to check only.');
    return { command: 'inventory', inputs, format, strict, namespace, inventoryFormat };
  }
  if (formatValue !== undefined && !FORMATS.includes(formatValue as OutputFormat)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')}, got '${formatValue}'.`);
  return { command: 'check', inputs, format, strict, namespace, ...(baselines.length > 0 ? { baselines } : {}) };
}
