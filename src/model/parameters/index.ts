// The parameter catalogue per parameter group family, and the rules over it (E4, E5, E6, N4, T9).
export * from './definition';
export { MAXMEMORY_POLICIES, RENAMABLE_COMMANDS } from './redis-layers';
export * from './catalogue';
export * from './values';
export * from './rules';
export * from './group';
