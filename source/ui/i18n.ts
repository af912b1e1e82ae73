// The catalogs: English by default, German with --lang de or LANG=de*.

import { de } from "./i18n/de.js";
import { type Catalog, en } from "./i18n/en.js";

export type { Catalog };
export type Lang = "en" | "de";
export type LabelKey = keyof Catalog["keys_"];

export function catalog(lang: Lang | undefined): Catalog {
  return lang === "de" ? de : en;
}
