// The build's last step (npm run build / prepare / pretest, after tsc): bundles the scripts the map page inlines into
// dist/browser/, so a command that writes a map reads them instead of running esbuild (see src/browser-script.ts).

import { writeBrowserScripts } from '../dist/browser-script.js';

writeBrowserScripts();
