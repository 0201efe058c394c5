/** Tailwind theme: shadcn/ui-style tokens backed by the CSS variables in src/index.css. */
import plugin from 'tailwindcss/plugin.js';
import palette from 'tailwindcss/colors.js';

const color = (name) => `hsl(var(--${name}) / <alpha-value>)`;

/*
 * Dark mode (ADR 0031): `.dark` on <html>. The semantic tokens change in src/index.css; the fixed palette
 * colours that components use for badges, alerts and status (red, emerald, amber, sky) are remapped here,
 * centrally: each shade is a CSS variable, and in dark mode shade N takes the value of shade 1000 − N
 * (bg-red-50 becomes a deep red, text-red-700 a light one), so "light tint + dark text" stays readable as
 * "dark tint + light text" without touching the components. 500 keeps its value (dots, bars, chart lines).
 * Zinc, the neutral grey, is remapped only for its light shades (50–300), which components use as
 * surfaces; its dark shades (inverted panels, avatars, the logo) stay dark in both themes.
 */
const SHADES = ['50', '100', '200', '300', '400', '500', '600', '700', '800', '900', '950'];
const INVERTED = ['red', 'emerald', 'amber', 'sky'];
const DARK_SHADE = { 50: '950', 100: '900', 200: '800', 300: '700', 400: '600', 500: '500', 600: '400', 700: '300', 800: '200', 900: '100', 950: '50' };
const ZINC_DARK = { 50: '900', 100: '800', 200: '800', 300: '700' };
const channels = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(' ');
const variable = (name, shade) => `--palette-${name}-${shade}`;

function remappedPalette() {
  const colors = {};
  for (const name of INVERTED) {
    colors[name] = Object.fromEntries(SHADES.map((shade) => [shade, `rgb(var(${variable(name, shade)}) / <alpha-value>)`]));
  }
  colors.zinc = { ...palette.zinc };
  for (const shade of Object.keys(ZINC_DARK)) colors.zinc[shade] = `rgb(var(${variable('zinc', shade)}) / <alpha-value>)`;
  return colors;
}

const paletteVariables = plugin(({ addBase }) => {
  const light = {};
  const dark = {};
  for (const name of INVERTED) {
    for (const shade of SHADES) {
      light[variable(name, shade)] = channels(palette[name][shade]);
      dark[variable(name, shade)] = channels(palette[name][DARK_SHADE[shade]]);
    }
  }
  for (const [shade, darkShade] of Object.entries(ZINC_DARK)) {
    light[variable('zinc', shade)] = channels(palette.zinc[shade]);
    dark[variable('zinc', shade)] = channels(palette.zinc[darkShade]);
  }
  addBase({ ':root': light, '.dark': dark });
});

/** @type {import('tailwindcss').Config} */
export default {
  darkMode: 'class',
  content: ['./index.html', './src/**/*.{ts,tsx}'],
  theme: {
    extend: {
      fontFamily: {
        sans: ['"Inter Variable"', 'ui-sans-serif', 'system-ui', 'sans-serif'],
      },
      colors: {
        ...remappedPalette(),
        border: color('border'),
        input: color('input'),
        ring: color('ring'),
        background: color('background'),
        foreground: color('foreground'),
        primary: { DEFAULT: color('primary'), foreground: color('primary-foreground') },
        secondary: { DEFAULT: color('secondary'), foreground: color('secondary-foreground') },
        muted: { DEFAULT: color('muted'), foreground: color('muted-foreground') },
        accent: { DEFAULT: color('accent'), foreground: color('accent-foreground') },
        destructive: { DEFAULT: color('destructive'), foreground: color('destructive-foreground') },
        success: color('success'),
        warning: color('warning'),
        card: { DEFAULT: color('card'), foreground: color('card-foreground') },
        popover: { DEFAULT: color('popover'), foreground: color('popover-foreground') },
      },
      borderRadius: {
        lg: 'var(--radius)',
        md: 'calc(var(--radius) - 2px)',
        sm: 'calc(var(--radius) - 4px)',
      },
      keyframes: {
        'fade-in': { from: { opacity: '0', transform: 'translateY(-2px)' }, to: { opacity: '1' } },
      },
      animation: { 'fade-in': 'fade-in 120ms ease-out' },
    },
  },
  plugins: [paletteVariables],
};
