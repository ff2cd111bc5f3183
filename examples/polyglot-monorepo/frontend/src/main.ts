import { createOrdersApi } from './api';
import { mountApp } from './app';
import { resolveApiBase } from './config';
import './style.css';

const root = document.querySelector<HTMLElement>('#app');
if (!root) throw new Error('index.html must contain <div id="app">');
const app = mountApp(root, createOrdersApi({ baseUrl: resolveApiBase(import.meta.env) }));
void app.refresh();
