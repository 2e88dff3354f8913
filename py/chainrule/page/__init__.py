"""The glue: the only code that imports js, pyscript or pyodide. It wires the page's
elements to the state below it and sends what changed to the renderer."""
