// Parse a GraphML and a GEXF export with the parsers Gephi Lite uses, and check what it needs.
//
// usage: node graphology_check.mjs FILE.graphml FILE.gexf NODES EDGES
//
// Gephi Lite opens .graphml with graphology-graphml and .gexf with graphology-gexf
// (notes/clients.md §b). A reused edge id throws there, a node without a numeric
// x/y is placed at random, and a colour that is not "#rrggbb" is not used for
// drawing; this script fails on each of those. Exit code 0 means every check passed.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const Graph = require("graphology");
const graphml = require("graphology-graphml");
const gexf = require("graphology-gexf");

const [graphmlPath, gexfPath, nodes, edges] = process.argv.slice(2);
if (!gexfPath || !/^\d+$/.test(nodes ?? "") || !/^\d+$/.test(edges ?? "")) {
  console.error("usage: node graphology_check.mjs FILE.graphml FILE.gexf NODES EDGES");
  process.exit(2);
}

const failures = [];
const HEX = /^#[0-9a-f]{6}$/i;

function check(name, graph) {
  const expect = (ok, message) => ok || failures.push(`${name}: ${message}`);
  expect(graph.order === Number(nodes), `expected ${nodes} nodes, parsed ${graph.order}`);
  expect(graph.size === Number(edges), `expected ${edges} edges, parsed ${graph.size}`);
  expect(graph.type === "directed", `graph type is ${graph.type}, not directed`);
  const ids = new Set();
  graph.forEachEdge((edge) => ids.add(edge));
  expect(ids.size === graph.size, "edge ids are not unique");
  graph.forEachNode((node, a) => {
    expect(typeof a.label === "string" && a.label.length > 0, `node ${node} has no string label`);
    for (const key of ["size", "x", "y"]) {
      expect(typeof a[key] === "number" && Number.isFinite(a[key]), `node ${node} has no numeric ${key}`);
    }
    expect(HEX.test(a.color ?? ""), `node ${node} colour ${a.color} is not #rrggbb`);
  });
  return graph;
}

function parse(name, parser, path, options) {
  try {
    return check(name, parser.parse(Graph, readFileSync(path, "utf8"), options));
  } catch (error) {
    failures.push(`${name}: parser threw ${error.message}`);
    return null;
  }
}

// The options Gephi Lite passes (packages/gephi-lite/src/core/file/utils.ts).
const fromGraphml = parse("graphml", graphml, graphmlPath, { addMissingNodes: true });
const fromGexf = parse("gexf", gexf, gexfPath, { addMissingNodes: true, allowUndeclaredAttributes: true });
if (fromGraphml && fromGraphml.multi !== fromGexf?.multi) {
  failures.push(`graphml multi=${fromGraphml.multi} but gexf multi=${fromGexf?.multi}`);
}

if (failures.length) {
  console.error(failures.slice(0, 20).join("\n"));
  process.exit(1);
}
console.log(`ok: ${nodes} nodes, ${edges} edges in both files (multi=${fromGraphml.multi})`);
