/**
 * Obviously fictional people and companies. Company names are invented word pairs, every
 * email lives under the reserved `.example` top-level domain (RFC 2606) and phone numbers use
 * the range +44 7700 900xxx that Ofcom reserves for drama. A few names are written in
 * non-Latin scripts, as real inboxes have them.
 */
import type { Random } from './random';

interface PersonName {
	display: string;
	/** ASCII form for the email address. */
	first: string;
	last: string;
}

const FIRST_NAMES = [
	'Ada', 'Bruno', 'Carla', 'Dario', 'Elif', 'Femi', 'Greta', 'Hugo', 'Ines', 'Jonas', 'Kira', 'Luca',
	'Mara', 'Nils', 'Olga', 'Pavel', 'Quinn', 'Rosa', 'Sami', 'Tara', 'Umar', 'Vera', 'Wim', 'Xenia',
	'Yusuf', 'Zoe', 'Amara', 'Bastian', 'Chiara', 'Dev', 'Esme', 'Farid', 'Gwen', 'Hana', 'Ivo', 'Juno',
];
const LAST_NAMES = [
	'Abernathy', 'Brightwater', 'Castellano', 'Dunmore', 'Eskildsen', 'Fairweather', 'Gallo', 'Holloway',
	'Ivanova', 'Jansen', 'Kowalczyk', 'Lindqvist', 'Moreau', 'Nakamura', 'Okafor', 'Petrakis', 'Quintero',
	'Rasmussen', 'Silva', 'Thornbury', 'Underwood', 'Valdivia', 'Whitlock', 'Yilmaz', 'Zimmermann',
];
/** Names in their own scripts, with an ASCII transliteration for the address. */
const NON_LATIN_NAMES: PersonName[] = [
	{ display: '山田 花子', first: 'hanako', last: 'yamada' },
	{ display: 'Олег Петров', first: 'oleg', last: 'petrov' },
	{ display: 'محمد العلي', first: 'mohammed', last: 'alali' },
	{ display: 'Ελένη Παπαδοπούλου', first: 'eleni', last: 'papadopoulou' },
	{ display: '김민준', first: 'minjun', last: 'kim' },
	{ display: 'अनन्या शर्मा', first: 'ananya', last: 'sharma' },
	{ display: 'דנה כהן', first: 'dana', last: 'cohen' },
	{ display: '王小明', first: 'xiaoming', last: 'wang' },
];
/** Latin names with diacritics, to keep encodings honest. */
const ACCENTED_NAMES: PersonName[] = [
	{ display: 'Zoë Ångström', first: 'zoe', last: 'angstrom' },
	{ display: 'José Núñez', first: 'jose', last: 'nunez' },
	{ display: 'Łukasz Wróbel', first: 'lukasz', last: 'wrobel' },
	{ display: 'Søren Kjærgaard', first: 'soren', last: 'kjaergaard' },
];

const COMPANY_FIRST = [
	'Blue Heron', 'Copperleaf', 'Quillfeather', 'Nimbus Finch', 'Marigold', 'Tinderbox', 'Lanternfish',
	'Brambleway', 'Cobalt Otter', 'Juniper Lane', 'Saltmarsh', 'Kestrel & Pine', 'Driftwood', 'Oakhollow',
	'Pebblebrook', 'Velvet Moth', 'Sunfield', 'Ironbark', 'Foxglove', 'Wrenfield',
];
const COMPANY_LAST = ['Studio', 'Architects', 'Legal', 'Dental', 'Consulting', 'Labs', 'Logistics', 'Agency', 'Accountants', 'Clinic', 'Co-working', 'Design'];
export const INDUSTRIES = ['design', 'legal', 'health', 'consulting', 'software', 'logistics', 'marketing', 'finance', 'coworking'];
const INDUSTRY_OF: Record<string, string> = {
	Studio: 'design', Architects: 'design', Design: 'design', Legal: 'legal', Dental: 'health', Clinic: 'health',
	Consulting: 'consulting', Labs: 'software', Logistics: 'logistics', Agency: 'marketing', Accountants: 'finance',
	'Co-working': 'coworking',
};

export interface FictionalPerson {
	name: string;
	company: string;
	industry: string;
	email: string;
	phone: string;
}

const slug = (text: string) => text.toLowerCase().replace(/&/g, 'and').replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '');

/** A new fictional person; `usedEmails` keeps addresses unique (the Leads tab's key). */
export function fictionalPerson(random: Random, usedEmails: Set<string>): FictionalPerson {
	const roll = random.next();
	const person: PersonName =
		roll < 0.05
			? random.pick(NON_LATIN_NAMES)
			: roll < 0.08
				? random.pick(ACCENTED_NAMES)
				: (() => {
						const first = random.pick(FIRST_NAMES);
						const last = random.pick(LAST_NAMES);
						return { display: `${first} ${last}`, first: slug(first), last: slug(last) };
					})();
	const suffix = random.pick(COMPANY_LAST);
	const company = `${random.pick(COMPANY_FIRST)} ${suffix}`;
	const domain = `${slug(company)}.example`;
	let email = `${person.first}.${person.last}@${domain}`;
	for (let n = 2; usedEmails.has(email); n++) email = `${person.first}.${person.last}${n}@${domain}`;
	usedEmails.add(email);
	const phone = `+44 7700 900${String(random.integer(0, 999)).padStart(3, '0')}`;
	return { name: person.display, company, industry: INDUSTRY_OF[suffix], email, phone };
}
