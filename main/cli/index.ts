import Database from 'better-sqlite3'; import { apiMethods } from '../../contract/api'; console.log(apiMethods, typeof Database);
