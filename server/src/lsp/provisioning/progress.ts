/**
 * Work-done progress for the provisioning commands, cancellable. When the client sent a
 * workDoneToken with the request, that progress is used; otherwise the server creates one
 * (window/workDoneProgress/create) if the client supports it. Cancelling either the progress or
 * the request aborts the signal, which apply checks between requests.
 */
import { WorkDoneProgressReporter } from 'vscode-languageserver';
import type { CommandContext } from '../commands';

export interface Progress {
  report(message: string, percentage?: number): void;
  readonly signal: AbortSignal;
}

export async function withProgress<T>(ctx: CommandContext, title: string, run: (progress: Progress) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const subscriptions = [ctx.token.onCancellationRequested(() => controller.abort())];
  let reporter: WorkDoneProgressReporter = ctx.progress;
  if (WorkDoneProgressReporter.isNullInstance(reporter)) {
    const created = await ctx.connection.window.createWorkDoneProgress();
    subscriptions.push(created.token.onCancellationRequested(() => controller.abort()));
    reporter = created;
  }
  reporter.begin(title, 0, undefined, true);
  try {
    return await run({
      signal: controller.signal,
      report: (message, percentage) => (percentage === undefined ? reporter.report(message) : reporter.report(Math.round(percentage), message)),
    });
  } finally {
    reporter.done();
    for (const s of subscriptions) s.dispose();
  }
}
