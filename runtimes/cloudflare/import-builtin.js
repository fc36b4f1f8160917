// Plain JS on purpose: tsc wraps a dynamic import() of a variable in a helper (for rewriteRelativeImportExtensions)
// that reads a top-level `this`, which bundlers warn about. The specifier is a variable so bundlers can't see it:
// with no compatibility flag the import fails at run time (and is caught), never at build time.
/** Imports a runtime built-in module, e.g. "node:async_hooks"; rejects where the runtime has none. */
export const importBuiltin = (specifier) => import(/* @vite-ignore */ specifier);
