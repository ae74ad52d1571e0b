/** @jsxImportSource preact */
/// <reference types="vite/client" />
import { render } from 'preact';
import { WidgetController } from './controller.ts';
import { App } from './ui/app.tsx';
import './frame.css';

const publicId = new URLSearchParams(location.search).get('inbox') ?? '';
const root = document.getElementById('app');
if (root && /^[\w-]{1,64}$/.test(publicId)) {
  const controller = new WidgetController(publicId);
  render(<App controller={controller} />, root);
  controller.start();
}
