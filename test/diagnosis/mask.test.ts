import { describe, expect, it } from "vitest";
import { maskCredentials } from "../../source/diagnosis/mask.js";

describe("maskCredentials", () => {
  it("leaves secret ARNs whole: the name is evidence, not a value", () => {
    const arn = "arn:aws:secretsmanager:eu-central-1:123456789012:secret:afu9/database-AbCdEf";
    expect(maskCredentials(`unable to retrieve secret ${arn} from asm`)).toBe(
      `unable to retrieve secret ${arn} from asm`,
    );
    expect(maskCredentials(`${arn}:password::`)).toBe(`${arn}:password::`);
  });

  it("still masks key=value credentials in free text", () => {
    expect(maskCredentials("connecting with password=hunter2xyz now")).toBe(
      "connecting with password=*** now",
    );
    expect(maskCredentials("secret: s3cr3tvalue")).toBe("secret: ***");
  });
});
