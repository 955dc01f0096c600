// Parse each diagram page with Mermaid's own parser (an optional extra check, not part of `make check`:
// it needs Node.js and two npm packages, which the project does not depend on).
//   mkdir /tmp/mm && cp bin/mermaid-parse.mjs /tmp/mm && (cd /tmp/mm && npm install mermaid@11 jsdom)
//   node /tmp/mm/mermaid-parse.mjs model-check/diagrams/*.md
// (Node resolves the packages beside the script). Prints each page's participants and statement count;
// exits 1 if a page has no Mermaid block or Mermaid rejects it.
import { JSDOM } from 'jsdom';
import fs from 'fs';
const dom = new JSDOM('<!doctype html><html><body></body></html>');
globalThis.window = dom.window;
globalThis.document = dom.window.document;
globalThis.DOMParser = dom.window.DOMParser;
globalThis.Element = dom.window.Element;
const { default: mermaid } = await import('mermaid');
mermaid.initialize({ startOnLoad: false });
let bad = 0;
for (const f of process.argv.slice(2)) {
  if (f.endsWith('README.md')) continue;
  const m = fs.readFileSync(f, 'utf8').match(/```mermaid\n([\s\S]*?)```/);
  if (!m) { console.log(f + ': no mermaid block'); bad++; continue; }
  try {
    const r = await mermaid.parse(m[1]);
    const db = (await mermaid.mermaidAPI.getDiagramFromText(m[1])).db;
    console.log(f + ': ok, ' + r.diagramType + ', participants ' + [...db.getActors().keys()].join(',')
      + ', ' + db.getMessages().length + ' statements');
  } catch (e) { console.log(f + ': REJECTED ' + String(e.message || e).slice(0, 400)); bad++; }
}
process.exit(bad ? 1 : 0);
