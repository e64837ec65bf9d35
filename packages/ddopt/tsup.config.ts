import { packageConfig } from '@ddopt/tsup-config';
import { defineConfig } from 'tsup';

export default defineConfig(packageConfig());
