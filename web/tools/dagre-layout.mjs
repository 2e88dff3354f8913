// Lays out a graphlib JSON graph read from stdin with dagre and writes the result to stdout.
// The build uses it to draw the first graph before Python is up; CPython tests use it too.
import dagre from "@dagrejs/dagre";
import { json } from "@dagrejs/graphlib";

let input = "";
for await (const chunk of process.stdin) input += chunk;
const graph = json.read(JSON.parse(input));
dagre.layout(graph);
process.stdout.write(JSON.stringify(json.write(graph)));
