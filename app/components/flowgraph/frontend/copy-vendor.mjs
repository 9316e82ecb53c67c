// Copies the distributed (already built, minified) files of the npm dependencies into ../build/vendor,
// with their licences. The component's own code (../build/flowgraph.js) needs no build step.
import { copyFileSync, mkdirSync } from "node:fs";

const vendor = new URL("../build/vendor/", import.meta.url);
mkdirSync(vendor, { recursive: true });
const files = [
  ["node_modules/cytoscape/dist/cytoscape.min.js", "cytoscape.min.js"],
  ["node_modules/cytoscape/LICENSE", "cytoscape.LICENSE"],
  ["node_modules/cytoscape-dagre/dist/cytoscape-dagre.min.js", "cytoscape-dagre.min.js"],
  ["node_modules/cytoscape-dagre/LICENSE", "cytoscape-dagre.LICENSE"],
];
for (const [from, to] of files) {
  copyFileSync(new URL(from, import.meta.url), new URL(to, vendor));
  console.log(`build/vendor/${to}`);
}
