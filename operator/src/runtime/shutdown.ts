import type { Logger } from "pino";

/** One step of an orderly stop, e.g. { name: "controllers", run: () => manager.stop() }. */
export interface ShutdownStep {
  name: string;
  run(): Promise<unknown>;
}

export interface ShutdownOptions {
  logger: Logger;
  /** Steps run in order; the whole sequence is bounded by `timeoutMs`. */
  steps: ShutdownStep[];
  timeoutMs: number;
  signals?: NodeJS.Signals[];
  /** Called with the exit code at the end; default process.exit. Tests pass a spy-free recorder. */
  exit?: (code: number) => void;
  process?: Pick<NodeJS.Process, "once" | "removeListener">;
}

export interface ShutdownHandle {
  /** Runs the shutdown now (as a signal would); resolves with the exit code given to `exit`. */
  trigger(reason: string): Promise<number>;
  /** Removes the signal listeners. */
  dispose(): void;
}

/**
 * Installs SIGTERM/SIGINT handlers that run the steps in order (a failing step is logged and the
 * next one still runs), and exit 0 when all finished within the bound, 1 otherwise. A second
 * signal during shutdown exits at once with 1. Calling `trigger` twice returns the same run.
 */
export function installShutdown(options: ShutdownOptions): ShutdownHandle {
  const proc = options.process ?? process;
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  let running: Promise<number> | undefined;

  const trigger = (reason: string): Promise<number> => {
    running ??= runSteps(options, reason).then((code) => {
      exit(code);
      return code;
    });
    return running;
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    if (running) {
      options.logger.warn({ signal }, "second signal during shutdown; exiting now");
      exit(1);
      return;
    }
    void trigger(signal);
  };
  for (const signal of signals) proc.once(signal, onSignal);
  return {
    trigger,
    dispose: () => signals.forEach((signal) => proc.removeListener(signal, onSignal)),
  };
}

async function runSteps(options: ShutdownOptions, reason: string): Promise<number> {
  const { logger, steps, timeoutMs } = options;
  logger.info({ reason, timeoutMs }, "shutting down");
  let failed = false;
  const sequence = (async () => {
    for (const step of steps) {
      try {
        await step.run();
        logger.info({ step: step.name }, "stopped");
      } catch (err) {
        failed = true;
        logger.error({ err, step: step.name }, "shutdown step failed");
      }
    }
  })();
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<boolean>((resolve) => {
    timer = setTimeout(() => resolve(true), timeoutMs);
    timer.unref();
  });
  const late = await Promise.race([sequence.then(() => false), timedOut]);
  clearTimeout(timer);
  if (late) logger.error({ timeoutMs }, "shutdown did not finish within its bound");
  return late || failed ? 1 : 0;
}
