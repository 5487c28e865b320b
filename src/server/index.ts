// The server side arrives with the server issue.
export {};
