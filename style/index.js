import './base.css';
import './repairs.css';
