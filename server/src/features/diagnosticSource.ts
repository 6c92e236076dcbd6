/** The source every mmlens diagnostic carries, so code actions know which diagnostics are ours. */
export const SOURCE = 'mmlens';
