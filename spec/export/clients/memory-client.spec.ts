import { MemoryClient } from "../../../lib/export/clients/memory-client";
import { getLastActiveTrace, startSpan } from "../../../lib/index";

describe("MemoryClient", () => {
  it("keeps exported traces in order, finds them by id and forgets them on clear()", async () => {
    const client = new MemoryClient();
    startSpan({ name: "first" }, () => 1);
    const first = getLastActiveTrace();
    startSpan({ name: "second" }, () => 2);
    const second = getLastActiveTrace();
    if (first === undefined || second === undefined) throw new Error("traces not completed");
    expect(await client.export([first, second], { signal: new AbortController().signal })).toEqual({ failures: [] });
    expect(client.traces.map((t) => t.rootSpan?.name)).toEqual(["first", "second"]);
    expect(await client.getTrace(second.info.traceId)).toBe(second);
    client.clear();
    expect(client.traces).toEqual([]);
    expect(await client.getTrace(first.info.traceId)).toBeUndefined();
    await client.shutdown();
  });
});
