/** The date-format choices every node offers for its date fields (values are DateFormat in dates.ts). */
export const DATE_FORMAT_OPTIONS = [
	{ name: 'Automatic', value: 'auto', description: 'ISO 8601, yyyyMMdd, MM/dd/yyyy, dd.MM.yyyy Google Sheets serial numbers or epoch milliseconds' },
	{ name: 'Day.Month.Year (31.01.2024)', value: 'dd.MM.yyyy' },
	{ name: 'Google Sheets Serial Number', value: 'sheetsSerial' },
	{ name: 'ISO 8601 (2024-01-31)', value: 'iso' },
	{ name: 'Month/Day/Year (01/31/2024)', value: 'MM/dd/yyyy' },
	{ name: 'YearMonthDay (20240131)', value: 'yyyyMMdd' },
];
