// Compiled only with experimentalDecorators (project "legacy-decorators"): NestJS's decorators are
// legacy decorators that store routes and guards with `Reflect.defineMetadata` on the method or
// class they decorate, which @traced and @component replace.
import "reflect-metadata";
import { Controller, Get, SetMetadata } from "@nestjs/common";
import { getLastActiveTrace, traced } from "../../lib/index";
import { component } from "../../lib/haystack/index";

const ROLES = "roles";
const PATH = "path"; // @nestjs/common's PATH_METADATA
const METHOD = "method"; // @nestjs/common's METHOD_METADATA

@Controller("cats")
class CatsController {
  @traced({ spanType: "CHAIN" })
  @Get("list")
  @SetMetadata(ROLES, ["admin"])
  list(): string[] {
    return ["tom"];
  }

  @Get("one")
  @traced()
  one(): string {
    return "tom";
  }
}

@component({ outputs: ["value"] })
@SetMetadata(ROLES, ["reader"])
class MetadataComponent {
  run(): { value: number } {
    return { value: 1 };
  }
}

describe("decorators keep Reflect metadata other decorators stored", () => {
  it("keeps NestJS route and guard metadata on a @traced controller method, whichever decorator runs first", () => {
    const handlers = CatsController.prototype;
    expect(Reflect.getMetadata(PATH, handlers.list)).toBe("list");
    expect(Reflect.getMetadata(METHOD, handlers.list)).toBe(0); // RequestMethod.GET
    expect(Reflect.getMetadata(ROLES, handlers.list)).toEqual(["admin"]);
    expect(Reflect.getMetadata(PATH, handlers.one)).toBe("one");
    expect(Reflect.getMetadata(PATH, CatsController)).toBe("cats");
  });

  it("still traces the controller method", () => {
    expect(new CatsController().list()).toEqual(["tom"]);
    expect(getLastActiveTrace()?.data.spans[0]).toMatchObject({ name: "list", spanType: "CHAIN", outputs: ["tom"] });
  });

  it("keeps class metadata as the class's own on a @component class", () => {
    expect(Reflect.getOwnMetadata(ROLES, MetadataComponent)).toEqual(["reader"]);
  });
});
