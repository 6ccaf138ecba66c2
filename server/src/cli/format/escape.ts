/** The CLI's formats escape with the engine's one definition of printable text. */
export { printable } from '../../util/printable';
