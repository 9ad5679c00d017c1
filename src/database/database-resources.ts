import { Size } from 'cdk8s';
import { Cpu } from 'cdk8s-plus-28';

/**
 * Compute resources of the database container (the init containers get the same).
 * Defaults: requests 250m CPU and 512 MiB memory, limit 1 GiB memory, no CPU limit (CPU
 * throttling makes a database's latency erratic; a memory limit keeps a runaway query from
 * taking the node).
 */
export interface DatabaseResources {
  /**
   * CPU request.
   * @default Cpu.millis(250)
   */
  readonly cpu?: Cpu;
  /**
   * Memory request.
   * @default Size.mebibytes(512)
   */
  readonly memory?: Size;
  /**
   * Memory limit (at least the request).
   * @default Size.gibibytes(1)
   */
  readonly memoryLimit?: Size;
}
