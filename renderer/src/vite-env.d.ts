// Types Vite provides to renderer code (CSS imports, import.meta.env).
/// <reference types="vite/client" />
