// Runs once, when docker-compose.yml's mongo service starts on an empty volume (the official
// image runs /docker-entrypoint-initdb.d/*.js as root): Steward's own user, which may read and
// write its database and nothing else.
const name = process.env.STEWARD_DB || 'steward';
db.getSiblingDB(name).createUser({
  user: 'steward',
  pwd: process.env.STEWARD_DB_PASSWORD,
  roles: [{ role: 'readWrite', db: name }],
});
