/** A problem with the user's input or arguments: printed as one line, exit status 2. */
export class InputError extends Error {}
