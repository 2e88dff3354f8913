// `node stdlib_imports.mjs SITE FULL_STDLIB_ZIP`: boots the site's Pyodide (with
// the site's cut-down standard library) and imports every standard-library
// module that our package or PyScript's names in any import statement, at any
// depth. Prints {"tried": [...], "failed": {name: error}, "from_source": [modules
// compiled from source while importing them], "json_file": json's __file__} as JSON.
import { readFileSync } from 'node:fs';
import path from 'node:path';

const [site, fullZip] = process.argv.slice(2);
const pyodideDir = path.resolve(site, 'pyodide');
const { loadPyodide } = await import(path.join(pyodideDir, 'pyodide.mjs'));
const pyodide = await loadPyodide({ indexURL: pyodideDir });
pyodide.globals.set('sources', pyodide.toPy(JSON.parse(readFileSync(path.join(site, 'py', 'home.json'), 'utf8'))));
pyodide.FS.writeFile('/tmp/full.zip', readFileSync(fullZip));
console.log(pyodide.runPython(`
import ast, importlib, json, zipfile

full = set()
for name in zipfile.ZipFile("/tmp/full.zip").namelist():
    if name.endswith(".py"):
        full.add(name[:-3].removesuffix("/__init__").replace("/", "."))

named = set()
for path, source in sources.items():
    package = path.rpartition("/")[0].replace("/", ".")
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            named.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                parent = package
                for _ in range(node.level - 1):
                    parent = parent.rpartition(".")[0]
                base = f"{parent}.{base}".strip(".")
            named.add(base)
            named.update(f"{base}.{alias.name}" for alias in node.names)

import importlib.machinery
from_source = []
compile_source = importlib.machinery.SourceFileLoader.source_to_code
def counting(self, data, path, *args, **kwargs):
    from_source.append(path)
    return compile_source(self, data, path, *args, **kwargs)
importlib.machinery.SourceFileLoader.source_to_code = counting
import zipimport
compile_zipped = zipimport._compile_source
def counting_zipped(pathname, source, *args):
    from_source.append(pathname)
    return compile_zipped(pathname, source, *args)
zipimport._compile_source = counting_zipped

tried, failed = sorted(named & full), {}
for name in tried:
    try:
        importlib.import_module(name)
    except Exception as error:
        failed[name] = f"{type(error).__name__}: {error}"
json.dumps({"tried": tried, "failed": failed, "from_source": from_source,
            "json_file": importlib.import_module("json").__file__})
`));
