// See README.md: no processes in the browser (the local sandbox is a desktop feature).
export function spawn(): never {
  throw new Error('The local sandbox needs the desktop extension: a browser cannot start processes.');
}
export default { spawn };
