import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { jsonMediaTypeProblem } from "./http";

describe("jsonMediaTypeProblem", () => {
  test("JSON in UTF-8, uncompressed, is taken; so is a body with no content type", () => {
    for (const contentType of [undefined, "", "application/json", "Application/JSON", "application/json; charset=utf-8", 'application/json; charset="UTF-8"', "application/problem+json", "application/json;"]) {
      expect(jsonMediaTypeProblem(contentType, undefined), String(contentType)).toBeNull();
    }
    expect(jsonMediaTypeProblem("application/json", "identity")).toBeNull();
  });

  test("anything else is named in the refusal", () => {
    expect(jsonMediaTypeProblem("text/plain", undefined)).toMatch(/text\/plain/);
    expect(jsonMediaTypeProblem("application/x-www-form-urlencoded", undefined)).toMatch(/form-urlencoded/);
    expect(jsonMediaTypeProblem("application/json; charset=utf-16", undefined)).toMatch(/utf-16/);
    expect(jsonMediaTypeProblem("application/json", "gzip")).toMatch(/gzip/);
    expect(jsonMediaTypeProblem("application/x-protobuf", undefined)).toMatch(/protobuf/);
  });

  test("never throws, whatever the headers", () => {
    fc.assert(
      fc.property(fc.option(fc.string({ unit: "binary" }), { nil: undefined }), fc.option(fc.string({ unit: "binary" }), { nil: undefined }), (contentType, encoding) => {
        const problem = jsonMediaTypeProblem(contentType, encoding);
        expect(problem === null || problem.length > 0).toBe(true);
      }),
    );
  });
});
