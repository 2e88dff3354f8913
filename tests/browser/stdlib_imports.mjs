// `node stdlib_imports.mjs SITE FULL_STDLIB_ZIP`: boots the site's Pyodide (with
// the site's cut-down standard library) and imports every standard-library
// module that our package or PyScript's names in any import statement, at any
// depth, then every module of our package that runs outside the page. Prints
// {"tried": [...], "failed": {name: error}, "from_source": [modules compiled from
// source while importing them], "json_file": json's __file__, "package": [our
// modules imported], "package_file": chainrule's __file__} as JSON.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { pyscriptPackageFiles } from '../../web/build/pyscript-code.mjs';

const [site, fullZip] = process.argv.slice(2);
const pyodideDir = path.resolve(site, 'pyodide');
const { loadPyodide } = await import(path.join(pyodideDir, 'pyodide.mjs'));
const pyodide = await loadPyodide({ indexURL: pyodideDir });
// PyScript's package, as the build takes it, and ours, as the site serves its source.
const sources = await pyscriptPackageFiles();
const ours = path.join(site, 'py', 'chainrule');
for (const name of readdirSync(ours, { recursive: true })) {
  if (name.endsWith('.py')) sources[`chainrule/${name.split(path.sep).join('/')}`] = readFileSync(path.join(ours, name), 'utf8');
}
pyodide.globals.set('sources', pyodide.toPy(sources));
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
package = sorted(
    path.removesuffix(".py").removesuffix("/__init__").replace("/", ".")
    for path in sources if path.startswith("chainrule/") and not path.startswith("chainrule/page/"))
for name in package:
    try:
        importlib.import_module(name)
    except Exception as error:
        failed[name] = f"{type(error).__name__}: {error}"
json.dumps({"tried": tried, "failed": failed, "from_source": from_source,
            "json_file": importlib.import_module("json").__file__,
            "package": package, "package_file": importlib.import_module("chainrule").__file__})
`));
