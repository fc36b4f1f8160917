/** Imports a runtime built-in module, e.g. "node:async_hooks"; rejects where the runtime has none. */
export declare const importBuiltin: (specifier: string) => Promise<any>;
