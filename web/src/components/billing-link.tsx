// The link beside a refusal because of the plan (402): it goes to the Billing page, where owners upgrade.
import { Link } from 'react-router-dom';

export function BillingLink() {
  return (
    <Link to="/billing" className="whitespace-nowrap font-semibold underline underline-offset-4">
      Open Billing
    </Link>
  );
}
