/**
 * The 96-byte lead that starts every rpm file (lib/rpmlead.c). rpm ≥ 4 reads only its magic
 * and signature type; the rest is legacy, written as rpmbuild writes it.
 */
import { RPM_LEAD_MAGIC, RPM_LEAD_SIGNATURE_TYPE, RPM_LEAD_SIZE } from '../../archive/rpm.js';

/** rpmrc.in os_canon: Linux. */
const OSNUM_LINUX = 1;

/** `nevr` is "name-[epoch:]version-release" (rpm's NEVR), cut to 65 bytes as rstrlcpy does. */
export function encodeLead(nevr: string, archnum: number): Buffer {
  const lead = Buffer.alloc(RPM_LEAD_SIZE);
  RPM_LEAD_MAGIC.copy(lead, 0);
  lead[4] = 3; // major
  lead[5] = 0; // minor
  lead.writeUInt16BE(0, 6); // binary package
  lead.writeUInt16BE(archnum, 8);
  let name = Buffer.from(nevr, 'utf8');
  if (name.length > 65) name = name.subarray(0, 65);
  name.copy(lead, 10);
  lead.writeUInt16BE(OSNUM_LINUX, 76);
  lead.writeUInt16BE(RPM_LEAD_SIGNATURE_TYPE, 78);
  return lead;
}
