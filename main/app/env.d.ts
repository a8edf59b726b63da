// Types of electron-vite's import suffixes (e.g. `?asset`) used by the main-process bundle.
/// <reference types="electron-vite/node" />
