// Placeholder preload until the Electron shell lands.
export {}
