// epubcheck-ts 0.7.0 on many books in one node process.
//   node epubcheck_ts_batch.mjs NODE_MODULES BOOK.epub...
// Prints one JSON line per book: {path, fatal, error, warning, messages: [first 20]}.
import { readFile } from "node:fs/promises";
import { basename, join } from "node:path";
import { pathToFileURL } from "node:url";

const [modules, ...books] = process.argv.slice(2);
const { EpubCheck } = await import(
  pathToFileURL(join(modules, "@likecoin/epubcheck-ts/dist/index.js")).href);
for (const book of books) {
  const result = await EpubCheck.validate(await readFile(book), {}, basename(book));
  const count = (s) => result.messages.filter((m) => m.severity === s).length;
  const messages = result.messages
    .filter((m) => ["fatal", "error", "warning"].includes(m.severity))
    .slice(0, 20)
    .map((m) => `${m.severity} ${m.id}: ${m.message}` + (m.location ? ` (${m.location.path || ""})` : ""));
  console.log(JSON.stringify({ path: book, fatal: count("fatal"), error: count("error"),
    warning: count("warning"), messages }));
}
