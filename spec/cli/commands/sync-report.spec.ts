import { progressReporter } from "../../../lib/cli/commands/sync-report";
import type { CliIo } from "../../../lib/cli/cli-io";

function capture(): { io: CliIo; err: () => string } {
  let err = "";
  const stream = { isTTY: false, write: (text: string) => ((err += text), true) };
  return { io: { stdout: stream, stderr: stream } as unknown as CliIo, err: () => err };
}

describe("traces sync progress", () => {
  it("says how many were sent when every trace failed, instead of 'synced 12/12'", () => {
    const { io, err } = capture();
    progressReporter(io)({ done: 12, total: 12, sent: 0, alreadyThere: 0, failed: 12 });
    expect(err()).toBe("sync: 12/12 traces tried, 0 sent, 12 failed\n");
  });

  it("counts traces the server already had apart from those sent", () => {
    const { io, err } = capture();
    progressReporter(io)({ done: 5, total: 5, sent: 3, alreadyThere: 2, failed: 0 });
    expect(err()).toBe("sync: 5/5 traces tried, 3 sent, 2 already there, 0 failed\n");
  });
});
