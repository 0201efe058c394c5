// A QR code drawn as SVG from the `qrcode` package's module matrix: no canvas, no image request,
// nothing the Content-Security-Policy would refuse, and sharp at any size.
import * as React from 'react';
import { create } from 'qrcode';
import { cn } from '@/lib/utils';

const QUIET_ZONE = 4; // modules of white around the code, as the standard asks

export function qrPath(value: string): { path: string; size: number } {
  const { modules } = create(value, { errorCorrectionLevel: 'M' });
  let path = '';
  for (let row = 0; row < modules.size; row++) {
    for (let col = 0; col < modules.size; col++) {
      if (modules.get(row, col)) path += `M${col + QUIET_ZONE} ${row + QUIET_ZONE}h1v1h-1z`;
    }
  }
  return { path, size: modules.size + 2 * QUIET_ZONE };
}

interface QrCodeProps extends React.SVGAttributes<SVGSVGElement> {
  value: string;
  /** What the code is, for screen readers. */
  label: string;
}

export const QrCode = React.forwardRef<SVGSVGElement, QrCodeProps>(
  ({ value, label, className, ...props }, ref) => {
    const { path, size } = React.useMemo(() => qrPath(value), [value]);
    return (
      <svg
        ref={ref}
        role="img"
        aria-label={label}
        viewBox={`0 0 ${size} ${size}`}
        shapeRendering="crispEdges"
        className={cn('rounded-md border bg-white', className)}
        {...props}
      >
        <rect width={size} height={size} fill="#fff" />
        <path d={path} fill="#09090b" />
      </svg>
    );
  },
);
QrCode.displayName = 'QrCode';
