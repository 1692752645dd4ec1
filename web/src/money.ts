import type { MessageInitShape } from "@bufbuild/protobuf";
import type { Money, MoneySchema } from "./gen/money/v1/money_pb.js";

// Minor units per major unit where they are not 2 (ISO 4217).
const exponents: Record<string, number> = { JPY: 0, KRW: 0, VND: 0, CLP: 0, ISK: 0, BHD: 3, KWD: 3, OMR: 3, JOD: 3, TND: 3 };

function exponent(currency: string): number {
  return exponents[currency] ?? 2;
}

export function formatMoney(money: Money | undefined): string {
  if (!money) return "";
  const digits = exponent(money.currencyCode);
  const negative = money.minorUnits < 0n;
  const units = (negative ? -money.minorUnits : money.minorUnits).toString().padStart(digits + 1, "0");
  const major = digits ? `${units.slice(0, -digits)}.${units.slice(-digits)}` : units;
  return `${negative ? "-" : ""}${major} ${money.currencyCode}`;
}

/** "19.99" in USD is 1999 minor units; null when the text is not an amount with at most the currency's decimals. */
export function parseMoney(text: string, currency: string): MessageInitShape<typeof MoneySchema> | null {
  const digits = exponent(currency);
  const match = /^(\d+)(?:\.(\d*))?$/.exec(text.trim());
  if (!match || (match[2] ?? "").length > digits) return null;
  const minor = BigInt(match[1] + (match[2] ?? "").padEnd(digits, "0"));
  return { currencyCode: currency, minorUnits: minor };
}
