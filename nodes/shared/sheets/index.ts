// Pure parts of the Sheets CRM layer (the transport is n8n glue and is imported directly by nodes).
export * from './a1';
export * from './crm';
export * from './schema';
export * from './spreadsheetId';
export * from './retry';
