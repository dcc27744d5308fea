export { homes } from './homes.ts';
