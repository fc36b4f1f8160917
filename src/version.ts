/** This package's version, sent in the exporter's `User-Agent`; kept equal to package.json's (a test checks). */
export const VERSION = "0.1.0";
