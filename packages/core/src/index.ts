export { APP_ERROR_CODES, AppError, type AppErrorCode, type AppErrorOptions, isAppError } from './errors/app-error.ts';
