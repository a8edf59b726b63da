/** Icon sizes of the freedesktop hicolor theme that Linux packages install (16 px up to 1024 px). */
export const ICON_SIZES = [16, 24, 32, 48, 64, 128, 256, 512, 1024] as const
