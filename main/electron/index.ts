import { app } from 'electron'; import { apiMethods } from '../../contract/api'; app.whenReady().then(()=>console.log(apiMethods));
